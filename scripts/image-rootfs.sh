#!/usr/bin/env bash
# Builds the container image's base file system into DIR (default target/image-rootfs): a Java
# runtime linked by jlink from this build's JDK 25 (no compiler, no debugger, no man pages) at
# /opt/java, the C libraries it loads (taken from this machine, found with ldd, GUI libraries left
# out: the controller runs headless), and /etc files for the non-root user 10001 and name lookups.
#
# Why not a registry base image: the build must work on a clean checkout with no container engine
# and no registry (CI here reaches Maven Central, not Docker Hub). Jib puts this directory on top of
# `scratch`, the Quarkus app on top of it (see the `image` profile in pom.xml).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_java
out=${1:-target/image-rootfs}
rm -rf "$out"
mkdir -p "$out"/{etc,tmp,opt,var/lib/lab-controller,lib64,lib/x86_64-linux-gnu}

# Every module of the JDK but the development tools (compiler, debugger agent, jlink itself) and
# incubator modules.
modules=$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//' \
    | grep -Ev '^(jdk\.(internal\..*|incubator\..*|jcmd|jdeps|jlink|javadoc|compiler|jshell|jpackage|hotspot\.agent|jdi|jconsole|editpad|jartool|jstatd|jdwp\.agent))$' \
    | paste -sd, -)
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --output "$out/opt/java" \
    --strip-debug --no-man-pages --no-header-files --compress=zip-6 >/dev/null

# The shared libraries the runtime needs, copied under their soname (symbolic links resolved).
# X11, ALSA and friends are only loaded by AWT's windowing code, which a headless server never runs.
libs=$( { ldd "$out/opt/java/bin/java"; find "$out/opt/java/lib" -name '*.so' -exec ldd {} \; ; } 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\/(usr\/)?lib/ {print $3} $1 ~ /^\/lib64\// {print $1}' | sort -u \
    | grep -Ev '/lib(X|xcb|asound|bsd|md\.so)' || true)
for lib in $libs; do
    case $lib in
        /lib64/*) cp -L "$lib" "$out/lib64/$(basename "$lib")" ;;
        *) cp -L "$lib" "$out/lib/x86_64-linux-gnu/$(basename "$lib")" ;;
    esac
done
if [[ ! -e $out/lib64/ld-linux-x86-64.so.2 ]]; then
    cp -L /lib64/ld-linux-x86-64.so.2 "$out/lib64/"
fi

cat > "$out/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
lab:x:10001:10001:Lab Controller:/var/lib/lab-controller:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
EOF
cat > "$out/etc/group" <<'EOF'
root:x:0:
lab:x:10001:
nogroup:x:65534:
EOF
printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$out/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$out/etc/hosts"
if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
    mkdir -p "$out/etc/ssl/certs"
    cp /etc/ssl/certs/ca-certificates.crt "$out/etc/ssl/certs/"
fi
echo "image rootfs: $out ($(du -sh "$out" | cut -f1))"

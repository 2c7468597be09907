# Shared by scripts/run.sh, scripts/test.sh and .ci/run: the JDK and the machine packages.
# shellcheck shell=bash

LAB_JAVA_HOME_DEFAULT=/usr/lib/jvm/temurin-25-jdk-amd64

require_java() {
    export JAVA_HOME=${JAVA_HOME_25:-$LAB_JAVA_HOME_DEFAULT}
    if [[ ! -x $JAVA_HOME/bin/java ]]; then
        echo "error: JDK 25 not found at $JAVA_HOME (set JAVA_HOME_25 to a JDK 25 home)" >&2
        exit 1
    fi
    export PATH=$JAVA_HOME/bin:$PATH
}

# Debian packages the local QEMU runtime and its demo image need: command -> package.
declare -A LAB_PACKAGES=(
    [qemu-system-x86_64]=qemu-system-x86
    [qemu-img]=qemu-utils
    [busybox]=busybox-static
    [mkfs.ext4]=e2fsprogs
)

# Installs missing packages when root; otherwise prints the exact command and fails.
ensure_packages() {
    local missing=() cmd
    for cmd in "${!LAB_PACKAGES[@]}"; do
        command -v "$cmd" >/dev/null 2>&1 || missing+=("${LAB_PACKAGES[$cmd]}")
    done
    # busybox must be the static build: the initramfs has no libc.
    if command -v busybox >/dev/null 2>&1 && ! dpkg -s busybox-static >/dev/null 2>&1; then
        missing+=(busybox-static)
    fi
    (( ${#missing[@]} == 0 )) && return 0
    if [[ $(id -u) -eq 0 ]]; then
        echo "Installing ${missing[*]} from Debian's packages..."
        DEBIAN_FRONTEND=noninteractive apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
    else
        echo "error: missing packages. Run:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
}

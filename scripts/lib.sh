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
    [genisoimage]=genisoimage   # per-lab cloud-init seed image (ISO 9660)
    [nft]=nftables              # host rules of 'internet' labs (their own network namespaces)
    [nsenter]=util-linux
    [ip]=iproute2               # the network namespaces of 'internet' labs
)

# The unprivileged system user QEMU switches to when the controller runs as root (lab.qemu.user).
LAB_QEMU_USER=${LAB_QEMU_USER:-labvm}

# Creates the QEMU user when root and it is missing; a controller that is not root needs none.
ensure_lab_user() {
    [[ $(id -u) -eq 0 ]] || return 0
    id -u "$LAB_QEMU_USER" >/dev/null 2>&1 && return 0
    echo "Creating the system user $LAB_QEMU_USER that QEMU runs as..."
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$LAB_QEMU_USER"
}

# Installs missing packages when root; otherwise prints the exact command and fails.
ensure_packages() {
    local missing=() cmd
    for cmd in "${!LAB_PACKAGES[@]}"; do
        command -v "$cmd" >/dev/null 2>&1 && continue
        # The seed image is made by genisoimage, or by xorriso where a release has no genisoimage.
        if [[ $cmd == genisoimage ]]; then
            command -v xorriso >/dev/null 2>&1 && continue
            apt-cache show genisoimage >/dev/null 2>&1 || { missing+=(xorriso); continue; }
        fi
        missing+=("${LAB_PACKAGES[$cmd]}")
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

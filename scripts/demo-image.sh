#!/usr/bin/env bash
# Builds the demo lab image used by the QEMU runtime's tests and by local demos:
#   OUTDIR/vmlinuz     the Debian cloud kernel (looked up with apt-cache, never hard-coded)
#   OUTDIR/initrd.img  a busybox-static initramfs that mounts /dev/vda (ext4) at /mnt/disk,
#                      configures every network card by DHCP (address, route, DNS and the
#                      hostname QEMU's user network hands out), at boot and when one is
#                      hot-plugged, and runs a respawning root shell on ttyS0 and tty1 (prompt
#                      "HOSTNAME:~# ": "lab:~# " without a network, "3f2a1c9b-lab:~# " with a lab's)
#   OUTDIR/disk.img    a 32 MiB raw ext4 disk holding a README, for disk-overlay tests
#   OUTDIR/VERSION     kernel package + hash of this script; a matching stamp makes a re-run a no-op
# The kernel command line the image expects is: console=tty0 console=ttyS0 quiet
# Needs: apt-get/apt-cache, dpkg, busybox-static (/bin/busybox), e2fsprogs (mkfs.ext4), gzip,
#        xz/zstd only when the kernel's modules are compressed.
set -euo pipefail

usage() { echo "usage: $0 OUTDIR" >&2; exit 2; }
die() { echo "demo-image: $*" >&2; exit 1; }
[[ $# -eq 1 ]] || usage
OUTDIR=$1
SCRIPT_HASH=$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)
# Modules the guest needs for a virtio disk with ext4 (and virtio networking); deps are added below.
WANTED_MODULES=(virtio_pci virtio_blk virtio_net ext4)
# Loaded when they exist as modules: ext4 asks the crypto API for crc32c at mount time, which a
# dependency list does not show. pvpanic_mmio lets a guest kernel panic reach QEMU (-device pvpanic);
# isofs lets a guest mount the cloud-init seed image (ISO 9660) the QEMU runtime attaches.
OPTIONAL_MODULES=(crc32c_generic crc32c_intel pvpanic_mmio isofs virtio_balloon)

# --- which kernel package ------------------------------------------------------------------
kernel_package() {
    local dep
    dep=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null \
        | awk '/Depends:/ && /linux-image-/ { gsub(/[<>]/, "", $2); print $2; exit }') || true
    [[ -n $dep ]] || return 1
    # A virtual name (e.g. provided by a -unsigned and a signed package): take a real provider.
    if ! apt-cache show "$dep" >/dev/null 2>&1 || [[ -z $(apt-cache policy "$dep" | awk '/Candidate:/ && $2 != "(none)"') ]]; then
        dep=$(apt-cache showpkg "$dep" | awk '/^Reverse Provides:/ { f = 1; next } f && NF { print $1; exit }')
        [[ -n $dep ]] || return 1
    fi
    echo "$dep"
}

PKG=$(kernel_package) || PKG=""
PKG_VERSION=""
[[ -n $PKG ]] && PKG_VERSION=$(apt-cache policy "$PKG" | awk '/Candidate:/ { print $2 }')
STAMP="kernel-package=$PKG $PKG_VERSION script=$SCRIPT_HASH"

complete() {
    [[ -s $OUTDIR/vmlinuz && -s $OUTDIR/initrd.img && -s $OUTDIR/disk.img && -s $OUTDIR/VERSION ]]
}
if complete; then
    if [[ $(head -n1 "$OUTDIR/VERSION") == "$STAMP" ]]; then
        echo "demo-image: $OUTDIR is up to date ($STAMP)"; exit 0
    fi
    # Package lists unavailable: an image built by this same script is still good enough.
    if [[ -z $PKG ]] && grep -q "script=$SCRIPT_HASH" "$OUTDIR/VERSION"; then
        echo "demo-image: $OUTDIR built by this script; apt lists unavailable, keeping it"; exit 0
    fi
fi
[[ -n $PKG ]] || die "cannot find the Debian cloud kernel package (apt-cache depends linux-image-cloud-amd64); run 'apt-get update' first"
[[ -x /bin/busybox ]] || die "/bin/busybox missing: install busybox-static"
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed' \
    || die "busybox-static is not installed (the initramfs needs a static /bin/busybox)"
command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 missing: install e2fsprogs"

mkdir -p "$OUTDIR"
# Work next to OUTDIR (not /tmp): same filesystem for the final moves, and room for the kernel.
WORK=$(mktemp -d "$(cd "$OUTDIR" && pwd)/.build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# --- kernel ----------------------------------------------------------------------------------
echo "demo-image: downloading $PKG $PKG_VERSION"
(cd "$WORK" && apt-get -q -o APT::Sandbox::User=root download "$PKG") >"$WORK/apt.log" 2>&1 \
    || { cat "$WORK/apt.log" >&2; die "apt-get download $PKG failed; if the package lists are empty, run 'apt-get update'"; }
dpkg -x "$WORK"/*.deb "$WORK/pkg"
VMLINUZ=$(find "$WORK/pkg/boot" -name 'vmlinuz-*' | head -n1)
[[ -n $VMLINUZ ]] || die "no boot/vmlinuz-* in $PKG"
KVER=${VMLINUZ##*/vmlinuz-}
MODROOT=$WORK/pkg/lib/modules/$KVER
[[ -d $MODROOT ]] || MODROOT=$WORK/pkg/usr/lib/modules/$KVER
[[ -d $MODROOT ]] || die "no modules directory for $KVER in $PKG"

# Compressed modules (Debian 13: .ko.xz) are unpacked so busybox depmod/insmod can read them.
find "$MODROOT" -name '*.ko.xz' -exec xz -d -f {} +
find "$MODROOT" -name '*.ko.zst' -exec zstd -q -d --rm -f {} +
find "$MODROOT" -name '*.ko.gz' -exec gzip -d -f {} +
busybox depmod -b "$WORK/pkg$( [[ $MODROOT == */usr/lib/* ]] && echo /usr)" "$KVER"
DEPFILE=$MODROOT/modules.dep

# Topological order: every module after the modules it needs.
ORDER=()
declare -A SEEN=()
resolve() { # $1 = module path relative to MODROOT
    local rel=$1 line dep
    [[ -n ${SEEN[$rel]:-} ]] && return 0
    SEEN[$rel]=1
    line=$(grep -m1 "^$rel:" "$DEPFILE" || true)
    for dep in ${line#*:}; do resolve "$dep"; done
    ORDER+=("$rel")
}
module_path() { grep -m1 -E "/(${1}|${1//_/-})\.ko:" "$DEPFILE" | cut -d: -f1 || true; }
for mod in "${WANTED_MODULES[@]}"; do
    rel=$(module_path "$mod")
    if [[ -n $rel ]]; then
        resolve "$rel"
    elif ! grep -qE "/(${mod}|${mod//_/-})\.ko" "$MODROOT/modules.builtin"; then
        die "module $mod is neither a module nor built into $KVER"
    fi
done
REQUIRED_COUNT=${#ORDER[@]}
for mod in "${OPTIONAL_MODULES[@]}"; do
    rel=$(module_path "$mod")
    [[ -z $rel ]] || resolve "$rel"
done

# --- initramfs -------------------------------------------------------------------------------
ROOT=$WORK/initramfs
mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,mnt/disk,lib/modules}
cp /bin/busybox "$ROOT/bin/busybox"
# Applet links by their standard paths (bin/sh, sbin/init, ...). NOTE: never `busybox --install -s
# DIR`: it puts every applet flat into DIR, so DIR/init becomes a symlink to the HOST's busybox and
# writing /init below would overwrite it.
while read -r applet; do
    [[ $applet == linuxrc || -e $ROOT/$applet || -L $ROOT/$applet ]] && continue
    mkdir -p "$ROOT/$(dirname "$applet")"
    ln -s /bin/busybox "$ROOT/$applet"
done < <(/bin/busybox --list-full)
# Files written below must be plain files inside the staging root, never links out of it.
write_file() { [[ ! -L $1 ]] || die "refusing to write through symlink $1"; cat >"$1"; }
for i in "${!ORDER[@]}"; do
    rel=${ORDER[$i]}
    cp "$MODROOT/$rel" "$ROOT/lib/modules/"
    # "?" marks an optional module: /init loads it quietly (crc32c-intel needs SSE4.2, for one).
    echo "$( ((i >= REQUIRED_COUNT)) && echo '?')${rel##*/}" >>"$ROOT/lib/modules/load-order"
done

write_file "$ROOT/init" <<'EOF'
#!/bin/sh
# Demo lab init: mount the kernel filesystems, load the disk modules, mount /dev/vda, configure
# the network cards, then hand over to busybox init, which respawns a root shell on the serial
# console and on the screen.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mount -t tmpfs tmp /tmp
hostname lab
while read -r m; do
    case $m in
        \?*) insmod "/lib/modules/${m#?}" 2>/dev/null ;;
        *) insmod "/lib/modules/$m" 2>/dev/null || echo "init: could not load $m" ;;
    esac
done </lib/modules/load-order
# A virtio block device (id 0x0002) is expected: wait briefly for its node, then mount it.
if grep -qs 0x0002 /sys/bus/virtio/devices/*/device; then
    for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -b /dev/vda ] && break; usleep 100000; done
fi
if [ -b /dev/vda ]; then
    mount -t ext4 /dev/vda /mnt/disk || echo "init: could not mount /dev/vda"
fi
ip link set lo up
# Cards present at boot are configured before the shells start, so the first prompt shows the
# lab's hostname; a card plugged in later (a restored lab's, see the QEMU runtime's LabIdentity)
# when the kernel announces it: busybox uevent sleeps on the kernel's netlink socket and runs
# /sbin/lab-uevent per event (this kernel has no uevent helper to call instead).
for nic in /sys/class/net/*; do
    [ "${nic##*/}" = lo ] || /sbin/lab-net "${nic##*/}"
done
uevent /sbin/lab-uevent </dev/null >/dev/null 2>&1 &
exec /sbin/init
EOF
chmod 755 "$ROOT/init"

write_file "$ROOT/sbin/lab-uevent" <<'EOF'
#!/bin/sh
# Run by busybox uevent for each kernel event: a network card that appears is configured.
[ "$SUBSYSTEM" = net ] && [ "$ACTION" = add ] && [ "$INTERFACE" != lo ] && exec /sbin/lab-net "$INTERFACE"
exit 0
EOF
write_file "$ROOT/sbin/lab-net" <<'EOF'
#!/bin/sh
# Configures network card $1 by DHCP once (QEMU's user network leases for a day and is gone with
# the lab), then exits: no client stays running in an idle lab.
ip link set "$1" up
udhcpc -i "$1" -s /etc/udhcpc.script -f -q -n -t 5 -T 1 >/dev/null 2>&1 || echo "lab-net: no DHCP answer on $1" >/dev/console
EOF
write_file "$ROOT/etc/udhcpc.script" <<'EOF'
#!/bin/sh
# udhcpc's hook: applies a lease (address, default route, DNS, hostname).
case $1 in
    deconfig) ip -4 addr flush dev "$interface" ;;
    bound|renew)
        ifconfig "$interface" "$ip" netmask "$subnet"
        [ -z "$router" ] || route add default gw "${router%% *}" dev "$interface" 2>/dev/null
        : >/etc/resolv.conf
        for d in $dns; do echo "nameserver $d" >>/etc/resolv.conf; done
        [ -z "$hostname" ] || { hostname "$hostname" && echo "$hostname" >/etc/hostname; }
        ;;
esac
exit 0
EOF
chmod 755 "$ROOT/sbin/lab-uevent" "$ROOT/sbin/lab-net" "$ROOT/etc/udhcpc.script"

write_file "$ROOT/etc/inittab" <<'EOF'
ttyS0::respawn:-/bin/sh
tty1::respawn:-/bin/sh
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/umount -a -r
EOF
write_file "$ROOT/etc/profile" <<'EOF'
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
export HOME=/root
export PS1='\h:\w# '
cd "$HOME"
EOF
echo "root:x:0:0:root:/root:/bin/sh" | write_file "$ROOT/etc/passwd"
echo "root:x:0:" | write_file "$ROOT/etc/group"
echo lab | write_file "$ROOT/etc/hostname"

mkdir -p "$OUTDIR"
(cd "$ROOT" && find . | LC_ALL=C sort | /bin/busybox cpio -H newc -o 2>/dev/null) | gzip -9 >"$WORK/initrd.img"

# --- disk ------------------------------------------------------------------------------------
mkdir -p "$WORK/disk"
cat >"$WORK/disk/README" <<EOF
Lab disk. Changes here are kept in the lab's own overlay across restarts.
Built by scripts/demo-image.sh with kernel $KVER.
EOF
rm -f "$WORK/disk.img"
truncate -s 32M "$WORK/disk.img"
mkfs.ext4 -q -F -L labdisk -d "$WORK/disk" "$WORK/disk.img"

# Install atomically-ish: files first, the stamp last, so an interrupted run is redone.
rm -f "$OUTDIR/VERSION"
cp "$VMLINUZ" "$OUTDIR/vmlinuz.tmp" && mv -f "$OUTDIR/vmlinuz.tmp" "$OUTDIR/vmlinuz"
mv -f "$WORK/initrd.img" "$OUTDIR/initrd.img"
mv -f "$WORK/disk.img" "$OUTDIR/disk.img"
printf '%s\nkernel=%s\nmodules=%s\n' "$STAMP" "$KVER" "${ORDER[*]##*/}" >"$OUTDIR/VERSION"
echo "demo-image: built $OUTDIR (kernel $KVER)"

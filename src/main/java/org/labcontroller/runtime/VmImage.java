package org.labcontroller.runtime;

/**
 * Where a lab's machine boots from. The local runtime reads {@code kernel}/{@code initrd} (a direct
 * kernel boot) and/or {@code disk} (qcow2 or raw, used through a per-lab copy-on-write overlay),
 * relative to its image directory; KubeVirt reads {@code containerDisk}, an OCI image reference.
 * Fields a runtime does not use are null.
 */
public record VmImage(String kernel, String initrd, String disk, String cmdline, String containerDisk) {
}

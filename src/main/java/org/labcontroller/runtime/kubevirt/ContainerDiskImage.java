package org.labcontroller.runtime.kubevirt;

import java.util.regex.Pattern;
import org.labcontroller.runtime.InvalidImageException;
import org.labcontroller.runtime.VmImage;

/**
 * Checks a template's image for KubeVirt before it is stored: labs boot from a container disk (an
 * OCI image reference, checked against the distribution reference grammar), so a typo is refused
 * at once instead of surfacing minutes later as an image pull error.
 */
final class ContainerDiskImage {
    private static final String COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + COMPONENT + "(?:\\." + COMPONENT + ")*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*";
    private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile("(" + NAME + ")(?::" + TAG + ")?(?:@" + DIGEST + ")?");
    private static final int MAX_NAME_LENGTH = 255;

    private ContainerDiskImage() {
    }

    /** Accepts an image with a well-formed container disk and nothing KubeVirt cannot boot. */
    static void validate(VmImage image) throws InvalidImageException {
        if (image == null) {
            throw new InvalidImageException("image", "An image is required.");
        }
        unsupported("image.kernel", image.kernel(), "a kernel file");
        unsupported("image.initrd", image.initrd(), "an initrd file");
        unsupported("image.disk", image.disk(), "a disk file");
        unsupported("image.cmdline", image.cmdline(), "a kernel command line");
        String reference = image.containerDisk();
        if (reference == null || reference.isBlank()) {
            throw new InvalidImageException("image.containerDisk",
                    "The KubeVirt runtime boots labs from a container disk: give an OCI image reference such as "
                            + "quay.io/containerdisks/fedora:40.");
        }
        var match = REFERENCE.matcher(reference);
        if (!match.matches()) {
            throw new InvalidImageException("image.containerDisk",
                    "'" + reference + "' is not a valid OCI image reference (registry/repository[:tag][@digest]).");
        }
        if (match.group(1).length() > MAX_NAME_LENGTH) {
            throw new InvalidImageException("image.containerDisk",
                    "The image name is longer than " + MAX_NAME_LENGTH + " characters.");
        }
    }

    private static void unsupported(String field, String value, String what) throws InvalidImageException {
        if (value != null && !value.isBlank()) {
            throw new InvalidImageException(field,
                    "The KubeVirt runtime boots labs from a container disk only; " + what + " is not supported.");
        }
    }
}

package org.labcontroller.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.labcontroller.runtime.InvalidImageException;
import org.labcontroller.runtime.VmImage;

/**
 * Turns a template's image fields into files under the image directory. One place decides what an
 * acceptable path is, so that a template cannot make QEMU read a file outside the image directory
 * (through {@code ..}, an absolute path or a symbolic link).
 */
final class ImageFiles {
    private final Path imageDir;

    ImageFiles(Path imageDir) {
        this.imageDir = imageDir.toAbsolutePath().normalize();
    }

    /** The resolved files of an image; {@code kernel}, {@code initrd} and {@code disk} may be null. */
    record Resolved(Path kernel, Path initrd, Path disk, String cmdline) {
    }

    /** Checks every rule and resolves the paths; the exception names the field at fault. */
    Resolved resolve(VmImage image) throws InvalidImageException {
        if (image == null) {
            throw new InvalidImageException("image", "An image is required.");
        }
        if (!blank(image.containerDisk())) {
            throw new InvalidImageException("image.containerDisk",
                    "Container disk images need the KubeVirt runtime; the QEMU runtime boots a kernel or a disk file.");
        }
        if (blank(image.kernel()) && blank(image.disk())) {
            throw new InvalidImageException("image.kernel", "An image needs a kernel or a disk (or both).");
        }
        if (!blank(image.initrd()) && blank(image.kernel())) {
            throw new InvalidImageException("image.initrd", "An initrd can only be used together with a kernel.");
        }
        Path kernel = file("image.kernel", image.kernel());
        Path initrd = file("image.initrd", image.initrd());
        Path disk = file("image.disk", image.disk());
        return new Resolved(kernel, initrd, disk, blank(image.cmdline()) ? null : image.cmdline().strip());
    }

    private Path file(String field, String value) throws InvalidImageException {
        if (blank(value)) {
            return null;
        }
        Path path;
        try {
            path = imageDir.resolve(value.strip()).normalize();
        } catch (InvalidPathException e) {
            throw new InvalidImageException(field, "'" + value + "' is not a valid path.");
        }
        if (!path.startsWith(imageDir)) {
            throw new InvalidImageException(field,
                    "'" + value + "' points outside the image directory; use a path relative to it.");
        }
        if (!Files.isRegularFile(path)) {
            throw new InvalidImageException(field, "'" + value + "' does not exist in the image directory.");
        }
        if (!Files.isReadable(path)) {
            throw new InvalidImageException(field, "'" + value + "' is not readable.");
        }
        try {
            Path real = path.toRealPath();
            Path realDir = imageDir.toRealPath();
            if (!real.startsWith(realDir)) {
                throw new InvalidImageException(field,
                        "'" + value + "' is a link to a file outside the image directory.");
            }
            return real;
        } catch (IOException e) {
            throw new InvalidImageException(field, "'" + value + "' cannot be read: " + e.getMessage());
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

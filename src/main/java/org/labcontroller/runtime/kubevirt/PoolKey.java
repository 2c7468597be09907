package org.labcontroller.runtime.kubevirt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.labcontroller.runtime.VmSpec;

/**
 * The key of a warm pool: a hash of everything a lab's VM is built from except the lab's identity
 * (template, image, size, devices, cloud-init, readiness, network). A pooled VM is handed only to a
 * lab whose spec hashes the same, so a template change makes its old pool an orphan to delete.
 */
final class PoolKey {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PoolKey() {
    }

    /** A new pooled VM's name: {@code pool-}, the key's start, a random part; it keeps it when claimed. */
    static String vmName(String key) {
        StringBuilder name = new StringBuilder("pool-").append(key, 0, 8).append('-');
        for (int i = 0; i < 5; i++) {
            name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return name.toString();
    }

    /** The pool a lab of this spec could take a VM from; null when the spec names no template. */
    static String of(VmSpec spec) {
        if (spec.templateId() == null) {
            return null;
        }
        String shape = String.join("\n", spec.templateId(), String.valueOf(spec.image().containerDisk()),
                Integer.toString(spec.cpus()), Integer.toString(spec.memoryMb()), String.valueOf(spec.cloudInit()),
                Boolean.toString(spec.console()), Boolean.toString(spec.vnc()), spec.readiness().mode(),
                spec.network().value());
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(shape.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

package io.jk8s.kubelet.volume;

/** A volume could not be set up (e.g. its ConfigMap does not exist); the message is upstream's wording. */
public final class VolumeSetupException extends Exception {

    private final String volumeName;

    public VolumeSetupException(String volumeName, String message) {
        super(message);
        this.volumeName = volumeName;
    }

    public String volumeName() {
        return volumeName;
    }

    /** The FailedMount event message, as upstream words it. */
    public String eventMessage() {
        return "MountVolume.SetUp failed for volume \"" + volumeName + "\" : " + getMessage();
    }
}

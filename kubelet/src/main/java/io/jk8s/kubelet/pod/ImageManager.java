package io.jk8s.kubelet.pod;

import io.jk8s.kubelet.cri.ContainerRuntime;
import io.jk8s.kubelet.cri.CriException;
import io.jk8s.kubelet.cri.v1.Image;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes sure a container's image is present according to its pull policy, with back-off on
 * failed pulls (ErrImagePull, then ImagePullBackOff, as upstream reports them).
 */
public final class ImageManager {

    private static final Logger log = LoggerFactory.getLogger(ImageManager.class);

    /** Why a container cannot start yet because of its image. */
    public record Problem(String reason, String message) {}

    private final ContainerRuntime cri;
    private final Backoff backoff;

    public ImageManager(ContainerRuntime cri, Backoff backoff) {
        this.cri = cri;
        this.backoff = backoff;
    }

    /** Empty when the image is ready to use; otherwise the waiting reason to report. */
    public Optional<Problem> ensure(String image, String pullPolicy, String podKey) {
        return ensure(image, pullPolicy, podKey, Optional.empty());
    }

    /** As {@link #ensure(String, String, String)}, with the image's status if the caller already looked it up. */
    public Optional<Problem> ensure(String image, String pullPolicy, String podKey, Optional<Image> knownStatus) {
        String policy = Objects.requireNonNullElse(pullPolicy, defaultPolicy(image));
        boolean present = !knownStatus.orElseGet(() -> cri.imageStatus(image)).getId().isEmpty();
        if (present && !policy.equals("Always")) {
            return Optional.empty();
        }
        if (policy.equals("Never")) {
            return Optional.of(new Problem("ErrImageNeverPull",
                    "Container image \"" + image + "\" is not present with pull policy of Never"));
        }
        String key = podKey + "/image/" + image;
        Duration wait = backoff.remaining(key);
        if (!wait.isZero()) {
            return Optional.of(new Problem("ImagePullBackOff", "Back-off pulling image \"" + image + "\""));
        }
        try {
            cri.pullImage(image, null, null);
            return Optional.empty();
        } catch (CriException e) {
            if (present) {
                // No registry reachable but a local copy exists (jk8s' built-in images): use it.
                log.warn("pull of {} failed ({}); using the local image", image, e.getMessage());
                return Optional.empty();
            }
            backoff.failed(key);
            return Optional.of(new Problem("ErrImagePull", e.getMessage()));
        }
    }

    /** Upstream default: Always for :latest or untagged images, IfNotPresent otherwise. */
    static String defaultPolicy(String image) {
        String afterSlash = image.substring(image.lastIndexOf('/') + 1);
        if (image.contains("@")) {
            return "IfNotPresent";
        }
        return !afterSlash.contains(":") || afterSlash.endsWith(":latest") ? "Always" : "IfNotPresent";
    }
}

package io.jk8s.kubelet.pod;

import io.jk8s.kubelet.cri.ContainerRuntime;
import io.jk8s.kubelet.cri.v1.Image;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Image statuses looked up on virtual threads while the pod's worker waits for something else (its sandbox):
 * CRI's image service is separate from the runtime service, so the answer costs the pod's start nothing.
 * Local to one sync; a lookup that failed is simply asked again by {@link ImageManager}.
 */
final class ImageStatuses {

    static final ImageStatuses NONE = new ImageStatuses(Map.of());

    private static final Executor VIRTUAL = task -> Thread.ofVirtual().name("image-status").start(task);

    private final Map<String, CompletableFuture<Image>> lookups;

    private ImageStatuses(Map<String, CompletableFuture<Image>> lookups) {
        this.lookups = lookups;
    }

    static ImageStatuses lookUpInBackground(ContainerRuntime cri, List<String> images) {
        Map<String, CompletableFuture<Image>> lookups = new HashMap<>();
        for (String image : images) {
            lookups.put(image, CompletableFuture.supplyAsync(() -> cri.imageStatus(image), VIRTUAL));
        }
        return new ImageStatuses(lookups);
    }

    /** The status looked up for {@code image} (waiting for it if still under way); empty if none or it failed. */
    Optional<Image> of(String image) {
        CompletableFuture<Image> lookup = lookups.get(image);
        if (lookup == null) return Optional.empty();
        try {
            return Optional.of(lookup.join());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}

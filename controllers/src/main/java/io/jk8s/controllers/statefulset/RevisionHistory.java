package io.jk8s.controllers.statefulset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.controllers.runtime.Copies;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Finds or records the set's update revision (its template now) and current revision (the one
 * {@code status.currentRevision} names), and prunes old revisions past {@code revisionHistoryLimit}.
 */
final class RevisionHistory {

    record Pair(ControllerRevision current, ControllerRevision update, int collisionCount) {}

    private final KubernetesClient client;

    RevisionHistory(KubernetesClient client) {
        this.client = client;
    }

    Pair ensure(StatefulSet set, List<ControllerRevision> revisions) {
        int collisions = set.getStatus() == null || set.getStatus().getCollisionCount() == null ? 0 : set.getStatus().getCollisionCount();
        long max = Revisions.maxNumber(revisions);
        ControllerRevision wanted = Revisions.forSet(set, max + 1, collisions);
        ControllerRevision update = revisions.stream().filter(r -> Revisions.sameTemplate(r, wanted))
                .max(Revisions.OLDEST_FIRST).orElse(null);
        if (update != null && update.getRevision() != null && update.getRevision() < max) {
            // Going back to an older template (rollback): that revision becomes the newest.
            ControllerRevision bumped = Copies.deepCopy(update);
            bumped.setApiVersion("apps/v1");
            bumped.setKind("ControllerRevision");
            bumped.setRevision(max + 1);
            update = client.resource(bumped).update();
            revisions.replaceAll(r -> r.getMetadata().getName().equals(bumped.getMetadata().getName()) ? bumped : r);
        }
        if (update == null) {
            update = create(set, revisions, max + 1, collisions);
            collisions = collisionsOf(update, set, collisions);
        }
        String currentName = set.getStatus() == null ? null : set.getStatus().getCurrentRevision();
        ControllerRevision finalUpdate = update;
        ControllerRevision current = revisions.stream().filter(r -> r.getMetadata().getName().equals(currentName))
                .findFirst().orElse(finalUpdate);
        return new Pair(current, update, collisions);
    }

    /** Creates the revision, raising the collision count while its name is taken by another template. */
    private ControllerRevision create(StatefulSet set, List<ControllerRevision> revisions, long number, int collisions) {
        for (int c = collisions; ; c++) {
            ControllerRevision r = Revisions.forSet(set, number, c);
            try {
                ControllerRevision created = client.resource(r).create();
                revisions.add(created);
                return created;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) throw e;
                ControllerRevision existing = client.apps().controllerRevisions().inNamespace(set.getMetadata().getNamespace())
                        .withName(r.getMetadata().getName()).get();
                if (existing != null && Revisions.sameTemplate(existing, r)) {
                    if (revisions.stream().noneMatch(x -> x.getMetadata().getName().equals(existing.getMetadata().getName()))) {
                        revisions.add(existing);
                    }
                    return existing;
                }
                if (c > collisions + 100) throw e;
            }
        }
    }

    private static int collisionsOf(ControllerRevision created, StatefulSet set, int from) {
        for (int c = from; c < from + 101; c++) {
            if (Revisions.name(set, c).equals(created.getMetadata().getName())) return c;
        }
        return from;
    }

    /** Deletes the oldest revisions no pod uses beyond {@code revisionHistoryLimit}. */
    void truncate(StatefulSet set, Pair rev, List<ControllerRevision> revisions, Collection<Pod> pods) {
        int limit = set.getSpec().getRevisionHistoryLimit() == null ? 10 : set.getSpec().getRevisionHistoryLimit();
        Set<String> live = StatefulSetController.revisionsInUse(rev, pods);
        List<ControllerRevision> old = revisions.stream().filter(r -> !live.contains(r.getMetadata().getName()))
                .sorted(Revisions.OLDEST_FIRST).toList();
        for (int i = 0; i < old.size() - limit; i++) {
            try {
                client.apps().controllerRevisions().inNamespace(set.getMetadata().getNamespace())
                        .withName(old.get(i).getMetadata().getName()).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) throw e;
            }
        }
    }
}

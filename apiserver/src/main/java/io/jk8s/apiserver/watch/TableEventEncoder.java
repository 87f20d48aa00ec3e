package io.jk8s.apiserver.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.apiserver.json.Json;
import io.jk8s.apiserver.render.Renderer;
import io.jk8s.registry.KindStrategy;

import java.util.List;

/** Watch events whose objects are one-row Tables ({@code kubectl get -w}). */
public final class TableEventEncoder implements EventEncoder {

    private final Renderer renderer;
    private final KindStrategy strategy;
    private final Renderer.Include include;

    public TableEventEncoder(Renderer renderer, KindStrategy strategy, Renderer.Include include) {
        this.renderer = renderer;
        this.strategy = strategy;
        this.include = include;
    }

    @Override
    public byte[] event(String type, CachedObject object) {
        ObjectNode table = renderer.table(List.of(object.object()), strategy, include, Long.toString(object.revision()), null, null);
        return JsonEventEncoder.line(type, table);
    }

    @Override
    public byte[] bookmark(long revision, boolean initialEventsEnd) {
        ObjectNode obj = Json.object().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        ObjectNode meta = obj.putObject("metadata").put("resourceVersion", Long.toString(revision));
        if (initialEventsEnd) meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
        obj.putArray("columnDefinitions");
        obj.putArray("rows");
        return JsonEventEncoder.line("BOOKMARK", obj);
    }

    @Override
    public byte[] error(ObjectNode status) {
        return JsonEventEncoder.line("ERROR", status);
    }
}

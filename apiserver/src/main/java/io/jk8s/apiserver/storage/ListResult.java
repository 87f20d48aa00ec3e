package io.jk8s.apiserver.storage;

import io.jk8s.apiserver.watch.CachedObject;

import java.util.List;

/** One page of a list, ready to be rendered as a List, Table or PartialObjectMetadataList. */
public record ListResult(List<CachedObject> items, long revision, String continueToken, Long remainingItemCount) {}

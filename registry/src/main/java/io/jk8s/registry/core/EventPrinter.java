package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.registry.TableColumn;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.HumanDuration;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Rows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * kubectl's event table (LAST SEEN TYPE REASON OBJECT MESSAGE; wide adds SUBOBJECT SOURCE FIRST SEEN COUNT NAME),
 * for both core/v1 Events and events.k8s.io/v1 Events (which name the same data differently).
 */
public final class EventPrinter {

    public static final List<TableColumn> COLUMNS = List.of(
            Columns.str("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
            Columns.str("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
            Columns.str("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
            Columns.str("Object", "The object that this event is about."),
            Columns.wide("Subobject", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]."),
            Columns.wide("Source", "The component reporting this event. Should be a short machine understandable string."),
            Columns.str("Message", "A human-readable description of the status of this operation."),
            Columns.wide("First Seen", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
            TableColumn.wide("Count", "string", "The number of times this event has occurred."),
            new TableColumn("Name", "string", "name", Columns.NAME_DOC, 1));

    private EventPrinter() {
    }

    /** @param eventsV1 true for events.k8s.io/v1 field names (regarding, note, deprecated*) */
    public static List<Object> row(ObjectNode ev, Instant now, boolean eventsV1) {
        JsonNode involved = ev.path(eventsV1 ? "regarding" : "involvedObject");
        String firstTs = Json.str(ev, eventsV1 ? "deprecatedFirstTimestamp" : "firstTimestamp");
        String lastTs = Json.str(ev, eventsV1 ? "deprecatedLastTimestamp" : "lastTimestamp");
        long count = Json.longOr(ev, 0, eventsV1 ? "deprecatedCount" : "count");
        String first = firstTs != null ? HumanDuration.since(firstTs, now) : HumanDuration.since(Json.str(ev, "eventTime"), now);
        String last = lastTs != null ? HumanDuration.since(lastTs, now) : first;
        if (Json.has(ev, "series")) {
            last = HumanDuration.since(Json.str(ev, "series", "lastObservedTime"), now);
            count = Json.longOr(ev, 0, "series", "count");
        } else if (count == 0) {
            count = 1;
        }
        String kind = Json.text(involved, "kind").toLowerCase(Locale.ROOT);
        String name = Json.text(involved, "name");
        String target = name.isEmpty() ? kind : kind + "/" + name;
        JsonNode source = ev.path(eventsV1 ? "deprecatedSource" : "source");
        String component = Json.text(source, "component");
        String host = Json.text(source, "host");
        if (component.isEmpty()) {
            component = Json.text(ev, "reportingController");
            host = Json.text(ev, "reportingInstance");
        }
        String sourceText = host.isEmpty() ? component : component + ", " + host;
        List<Object> row = new ArrayList<>();
        row.add(last);
        row.add(Json.text(ev, "type"));
        row.add(Json.text(ev, "reason"));
        row.add(target);
        row.add(Json.text(involved, "fieldPath"));
        row.add(sourceText);
        row.add(Json.text(ev, eventsV1 ? "note" : "message").trim());
        row.add(first);
        row.add(count);
        row.add(Rows.name(ev));
        return row;
    }
}

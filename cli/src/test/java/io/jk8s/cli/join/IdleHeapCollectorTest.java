package io.jk8s.cli.join;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class IdleHeapCollectorTest {

    @Test
    void collectsOnlyWhenNoFullCollectionRanAndEnoughWasPromoted() {
        long enough = IdleHeapCollector.MIN_PROMOTED_BYTES;
        assertThat(IdleHeapCollector.shouldCollect(3, 3, enough)).isTrue();
        assertThat(IdleHeapCollector.shouldCollect(3, 4, enough)).as("the JVM collected by itself in the interval").isFalse();
        assertThat(IdleHeapCollector.shouldCollect(3, 3, enough - 1)).as("too little garbage to give back").isFalse();
    }

    @Test
    void startsOnlyUnderTheSerialCollector() {
        boolean serial = ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(c -> c.getName().equals("MarkSweepCompact"));
        var collector = IdleHeapCollector.startIfSerial();
        try {
            assertThat(collector.isPresent()).isEqualTo(serial);
        } finally {
            collector.ifPresent(IdleHeapCollector::close);
        }
    }
}

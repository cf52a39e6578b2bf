package org.ofsep.mwl.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The heap figures are read from jcmd GC.heap_info whatever the gateway's collector (outputs of JDK 17). */
class HeapTest {

    @Test
    void readsG1() {
        String out = "7790:\n garbage-first heap   total 389120K, used 21504K [0x0000000687400000, 0x0000000800000000)\n"
                + "  region size 2048K, 11 young (22528K), 0 survivors (0K)\n";
        assertArrayEquals(new long[] {389120, 21504}, Heap.parse(out));
    }

    @Test
    void readsZgc() {
        String out = "7808:\n ZHeap           used 52M, capacity 378M, max capacity 6028M\n"
                + " Metaspace       used 8932K, committed 9088K, reserved 1114112K\n";
        assertArrayEquals(new long[] {378 * 1024, 52 * 1024}, Heap.parse(out));
    }

    @Test
    void readsShenandoah() {
        String out = "9386:\nShenandoah Heap\n 6028M max, 6028M soft max, 378M committed, 20480K used\n"
                + " 3014 x 2048K regions\n";
        assertArrayEquals(new long[] {378 * 1024, 20480}, Heap.parse(out));
    }

    @Test
    void unknownOutputIsNotAFigure() {
        assertNull(Heap.parse("12: Could not attach to the process"));
    }
}

package io.jk8s.kubelet.volume;

import java.util.Arrays;

/** One file of a volume payload: its bytes and permission bits (e.g. 0644). */
public record FileProjection(byte[] data, int mode) {

    @Override
    public boolean equals(Object o) {
        return o instanceof FileProjection f && f.mode == mode && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + mode;
    }

    @Override
    public String toString() {
        return "FileProjection[" + data.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
    }
}

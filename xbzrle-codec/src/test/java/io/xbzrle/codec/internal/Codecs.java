package io.xbzrle.codec.internal;

import java.util.ArrayList;
import java.util.List;

/** The codec's variants under test: portable, and Vector API when the test JVM offers it. */
final class Codecs {
    private Codecs() {
    }

    static List<XbzrleCodec> all(int pageSize) {
        List<XbzrleCodec> out = new ArrayList<>();
        out.add(new XbzrleCodec(pageSize, false));
        if (XbzrleCodec.vectorAvailable()) {
            out.add(new XbzrleCodec(pageSize, true));
        } else {
            System.out.println("the Vector API is not available in this JVM: only the portable path is tested");
        }
        return out;
    }

    static String name(XbzrleCodec codec) {
        return codec.vector() ? "vector" : "portable";
    }
}

package io.digitstream.core.image;

import java.util.Arrays;
import java.util.BitSet;
import java.util.function.Consumer;

/**
 * The connected components of an image's clear ink: pixels whose ink is above a threshold, each joined to its eight
 * neighbours. Labelled by an iterative scan-line flood fill over a bit set of the pixels not yet visited: a row's run
 * is taken whole, and the runs touching it in the rows above and below go on an explicit stack. Nothing recurses,
 * and the memory is a bit a pixel plus the stack, which never holds more than three ints a run of ink: the runs of two
 * adjacent rows touch in fewer pairs than there are runs.
 */
final class InkComponents {

    /** One component: its pixels, their summed ink and its bounding box, source pixels {@code [x0, x1) x [y0, y1)}. */
    record Component(int area, double mass, int x0, int y0, int x1, int y1) {

        int longestSide() {
            return Math.max(x1 - x0, y1 - y0);
        }

        /** The distance between the two boxes, 0 where they overlap or touch: pixels of empty paper between them. */
        double gapTo(Component other) {
            return gapTo(other.x0, other.y0, other.x1, other.y1);
        }

        /** As {@link #gapTo(Component)} for the box {@code [bx0, bx1) x [by0, by1)}. */
        double gapTo(int bx0, int by0, int bx1, int by1) {
            long dx = Math.max(0, Math.max(x0, bx0) - Math.min(x1, bx1));
            long dy = Math.max(0, Math.max(y0, by0) - Math.min(y1, by1));
            return Math.sqrt(dx * dx + dy * dy);
        }
    }

    private InkComponents() {
    }

    /** The order in which {@link #forEach} hands out components. */
    enum Order {
        /** By first pixel in reading order: top rows first, left first within a row. */
        TOP_DOWN,
        /** By last pixel in reverse reading order: bottom rows first, right first within a row. */
        BOTTOM_UP
    }

    /** Calls {@code action} with each component of the pixels with ink above {@code threshold}, in {@code order}. */
    static void forEach(byte[] gray, int w, int h, float[] ink, float threshold, Order order,
                        Consumer<Component> action) {
        boolean topDown = order == Order.TOP_DOWN;
        BitSet unvisited = new BitSet(w * h);
        for (int i = 0; i < w * h; i++) {
            if (ink[gray[i] & 0xFF] > threshold) {
                unvisited.set(i);
            }
        }
        int[] stack = new int[64];
        int seed = topDown ? unvisited.nextSetBit(0) : unvisited.previousSetBit(w * h - 1);
        while (seed >= 0) {
            stack[0] = seed;
            int size = 1;
            int area = 0;
            double mass = 0;
            int x0 = w;
            int y0 = h;
            int x1 = 0;
            int y1 = 0;
            while (size > 0) {
                int p = stack[--size];
                if (!unvisited.get(p)) {
                    continue; // pushed from two runs, taken by the first
                }
                int y = p / w;
                int rowStart = y * w;
                int from = Math.max(rowStart, unvisited.previousClearBit(p) + 1);
                int to = Math.min(rowStart + w, unvisited.nextClearBit(p));
                unvisited.clear(from, to);
                area += to - from;
                for (int i = from; i < to; i++) {
                    mass += ink[gray[i] & 0xFF];
                }
                x0 = Math.min(x0, from - rowStart);
                x1 = Math.max(x1, to - rowStart);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y + 1);
                // runs in the rows above and below that touch [from, to), diagonals included
                for (int ny = y - 1; ny <= y + 1; ny += 2) {
                    if (ny < 0 || ny >= h) {
                        continue;
                    }
                    int end = ny * w + Math.min(w, to - rowStart + 1);
                    int q = unvisited.nextSetBit(ny * w + Math.max(0, from - rowStart - 1));
                    while (q >= 0 && q < end) {
                        if (size == stack.length) {
                            stack = Arrays.copyOf(stack, 2 * size);
                        }
                        stack[size++] = q;
                        q = unvisited.nextSetBit(unvisited.nextClearBit(q));
                    }
                }
            }
            action.accept(new Component(area, mass, x0, y0, x1, y1));
            seed = topDown ? unvisited.nextSetBit(seed + 1) : unvisited.previousSetBit(seed - 1);
        }
    }
}

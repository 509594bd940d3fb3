package io.digitstream.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.digitstream.core.image.InkComponents.Component;
import io.digitstream.core.image.InkComponents.Order;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InkComponentsTest {

    /** Grey level g has ink g / 255: bright is ink, as in MNIST. */
    private static final float[] INK = new float[256];
    private static final float THRESHOLD = 0.3f;
    private static final Comparator<Component> ORDER = Comparator.comparingInt(Component::y0)
            .thenComparingInt(Component::x0).thenComparingInt(Component::area);

    static {
        for (int g = 0; g < 256; g++) {
            INK[g] = g / 255f;
        }
    }

    @Test
    void diagonalNeighboursJoinAndOnePixelOfPaperSeparates() {
        List<Component> components = components(5, new String[] {
            "#...#",
            ".#..#",
            "..#..",
            "...##"});

        assertThat(components).extracting(Component::area).containsExactly(5, 2);
        assertThat(components.get(0)).isEqualTo(new Component(5, 5.0, 0, 0, 5, 4));
        assertThat(components.get(1)).isEqualTo(new Component(2, 2.0, 4, 0, 5, 2));
    }

    @Test
    void bottomUpHandsOutTheSameComponentsLastPixelFirst() {
        String[] rows = {
            "##...",
            "...#.",
            "#..#.",
            "....#"};

        assertThat(components(5, rows, Order.TOP_DOWN)).extracting(Component::x0, Component::y0)
                .containsExactly(tuple(0, 0), tuple(3, 1), tuple(0, 2));
        assertThat(components(5, rows, Order.BOTTOM_UP)).extracting(Component::x0, Component::y0)
                .containsExactly(tuple(3, 1), tuple(0, 2), tuple(0, 0));
    }

    @Test
    void inkAtTheThresholdIsNotClearInk() {
        byte[] gray = {(byte) 76, (byte) 77, (byte) 76};

        List<Component> components = new ArrayList<>();
        InkComponents.forEach(gray, 3, 1, INK, 76 / 255f, Order.TOP_DOWN, components::add);

        assertThat(components).singleElement().satisfies(c -> {
            assertThat(c.area()).isEqualTo(1);
            assertThat(c.x0()).isEqualTo(1);
        });
        assertThat(components.get(0).mass()).isCloseTo(77 / 255.0, within(1e-6));
    }

    @Test
    void agreesWithAPixelByPixelUnionFindOnRandomImages() {
        Random random = new Random(11);
        for (int n = 0; n < 300; n++) {
            int w = 1 + random.nextInt(40);
            int h = 1 + random.nextInt(40);
            double density = 0.1 + 0.6 * random.nextDouble();
            byte[] gray = new byte[w * h];
            for (int i = 0; i < gray.length; i++) {
                gray[i] = (byte) (random.nextDouble() < density ? 77 + random.nextInt(179) : random.nextInt(77));
            }
            List<Component> expected = unionFind(gray, w, h);
            for (Order order : Order.values()) {
                List<Component> labelled = new ArrayList<>();
                InkComponents.forEach(gray, w, h, INK, THRESHOLD, order, labelled::add);

                assertThat(labelled).as("%dx%d image %d %s", w, h, n, order).hasSameSizeAs(expected);
                labelled.sort(ORDER);
                for (int i = 0; i < expected.size(); i++) {
                    Component got = labelled.get(i);
                    Component want = expected.get(i);
                    assertThat(List.of(got.area(), got.x0(), got.y0(), got.x1(), got.y1()))
                            .isEqualTo(List.of(want.area(), want.x0(), want.y0(), want.x1(), want.y1()));
                    assertThat(got.mass()).isCloseTo(want.mass(), within(1e-6));
                }
            }
        }
    }

    /** A one-pixel-wide path snaking over a 1024x1024 image: a recursive fill would need a million frames. */
    @Test
    void aSnakeThroughAMillionPixelsIsOneComponent() {
        int side = 1024;
        byte[] gray = new byte[side * side];
        int area = 0;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                boolean ink = y % 2 == 0 || x == (y % 4 == 1 ? side - 1 : 0);
                gray[y * side + x] = (byte) (ink ? 255 : 0);
                area += ink ? 1 : 0;
            }
        }
        List<Component> components = new ArrayList<>();

        InkComponents.forEach(gray, side, side, INK, THRESHOLD, Order.TOP_DOWN, components::add);

        assertThat(components).singleElement().isEqualTo(new Component(area, area, 0, 0, side, side));
    }

    @Test
    void gapIsThePaperBetweenTwoBoxes() {
        Component box = new Component(1, 1, 10, 10, 20, 20);

        assertThat(box.gapTo(new Component(1, 1, 15, 15, 30, 30))).as("overlapping").isZero();
        assertThat(box.gapTo(new Component(1, 1, 20, 12, 22, 14))).as("side by side").isZero();
        assertThat(box.gapTo(new Component(1, 1, 23, 12, 25, 14))).as("three columns apart").isEqualTo(3);
        assertThat(box.gapTo(new Component(1, 1, 0, 0, 7, 6))).as("diagonal").isEqualTo(5);
        assertThat(box.longestSide()).isEqualTo(10);
    }

    private static List<Component> components(int w, String[] rows) {
        return components(w, rows, Order.TOP_DOWN);
    }

    private static List<Component> components(int w, String[] rows, Order order) {
        byte[] gray = new byte[w * rows.length];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < w; x++) {
                gray[y * w + x] = (byte) (rows[y].charAt(x) == '#' ? 255 : 0);
            }
        }
        List<Component> components = new ArrayList<>();
        InkComponents.forEach(gray, w, rows.length, INK, THRESHOLD, order, components::add);
        return components;
    }

    /** The reference: union-find over pixels and their eight neighbours, sorted by {@link #ORDER}. */
    private static List<Component> unionFind(byte[] gray, int w, int h) {
        int[] parent = new int[w * h];
        Arrays.setAll(parent, i -> i);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (!ink(gray, y * w + x)) {
                    continue;
                }
                for (int[] d : new int[][] {{1, 0}, {-1, 1}, {0, 1}, {1, 1}}) {
                    int nx = x + d[0];
                    int ny = y + d[1];
                    if (nx >= 0 && nx < w && ny < h && ink(gray, ny * w + nx)) {
                        parent[root(parent, y * w + x)] = root(parent, ny * w + nx);
                    }
                }
            }
        }
        List<Component> components = new ArrayList<>();
        for (int r = 0; r < w * h; r++) {
            if (!ink(gray, r) || root(parent, r) != r) {
                continue;
            }
            int area = 0;
            double mass = 0;
            int x0 = w;
            int y0 = h;
            int x1 = 0;
            int y1 = 0;
            for (int i = 0; i < w * h; i++) {
                if (ink(gray, i) && root(parent, i) == r) {
                    area++;
                    mass += INK[gray[i] & 0xFF];
                    x0 = Math.min(x0, i % w);
                    y0 = Math.min(y0, i / w);
                    x1 = Math.max(x1, i % w + 1);
                    y1 = Math.max(y1, i / w + 1);
                }
            }
            components.add(new Component(area, mass, x0, y0, x1, y1));
        }
        components.sort(ORDER);
        return components;
    }

    private static boolean ink(byte[] gray, int i) {
        return INK[gray[i] & 0xFF] > THRESHOLD;
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }
}

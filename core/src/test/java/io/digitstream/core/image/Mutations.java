package io.digitstream.core.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Random damage to valid inputs, for property tests: blind edits (bits flipped, bytes inserted, cut or repeated, the
 * input truncated) and edits that know the formats (a size or length field in a PNG, GIF, BMP or JPEG header set to an
 * extreme value).
 */
public final class Mutations {

    private static final int[] EXTREME_32 = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7fff_f000, 4096, 4097,
        65_535, 65_536, 1 << 24};
    private static final int[] EXTREME_16 = {0, 1, 0xffff, 0x7fff, 0x8000, 4096, 4097, 255, 256};

    private Mutations() {
    }

    /** One to four blind edits. */
    public static byte[] mutate(byte[] input, Random random) {
        byte[] out = input;
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            out = mutateOnce(out, random);
        }
        return out;
    }

    /** One blind edit, most of them near the start, where the headers are. */
    public static byte[] mutateOnce(byte[] input, Random random) {
        if (input.length == 0) {
            return randomBytes(random, 1 + random.nextInt(16));
        }
        int at = random.nextBoolean() ? random.nextInt(Math.min(input.length, 128)) : random.nextInt(input.length);
        byte[] out;
        switch (random.nextInt(8)) {
            case 0 -> {
                out = input.clone();
                out[at] ^= (byte) (1 << random.nextInt(8));
            }
            case 1 -> {
                out = input.clone();
                out[at] = (byte) random.nextInt(256);
            }
            case 2 -> out = Arrays.copyOf(input, random.nextInt(input.length));
            case 3 -> out = splice(input, at, 0, randomBytes(random, 1 + random.nextInt(32)));
            case 4 -> out = splice(input, at, Math.min(input.length - at, 1 + random.nextInt(32)), new byte[0]);
            case 5 -> {
                int length = Math.min(input.length - at, 1 + random.nextInt(64));
                out = splice(input, at, 0, Arrays.copyOfRange(input, at, at + length));
            }
            case 6 -> {
                out = input.clone();
                int width = random.nextBoolean() ? 2 : 4;
                if (at + width <= out.length) {
                    ByteBuffer b = ByteBuffer.wrap(out).order(random.nextBoolean() ? ByteOrder.BIG_ENDIAN
                            : ByteOrder.LITTLE_ENDIAN);
                    if (width == 2) {
                        b.putShort(at, (short) extreme16(random));
                    } else {
                        b.putInt(at, extreme32(random));
                    }
                }
            }
            default -> {
                out = input.clone();
                int length = Math.min(out.length - at, 1 + random.nextInt(16));
                Arrays.fill(out, at, at + length, random.nextBoolean() ? 0 : (byte) 0xff);
            }
        }
        return out;
    }

    /**
     * One size or length field of the image's header set to an extreme value: PNG width, height, bit depth, colour
     * type or a chunk length (with the IHDR checksum redone, so the reader gets past it); GIF screen and frame size;
     * BMP sizes, offsets, depth and compression; JPEG frame size, component count or a segment length.
     */
    public static byte[] hugeHeaderField(byte[] image, Random random) {
        byte[] out = image.clone();
        String format = DigitPreprocessor.sniffFormat(out);
        if (format == null) {
            return mutateOnce(out, random);
        }
        switch (format) {
            case "png" -> png(out, random);
            case "gif" -> gif(out, random);
            case "bmp" -> bmp(out, random);
            default -> jpeg(out, random);
        }
        return out;
    }

    public static int extreme32(Random random) {
        return random.nextInt(4) == 0 ? random.nextInt() : EXTREME_32[random.nextInt(EXTREME_32.length)];
    }

    public static int extreme16(Random random) {
        return random.nextInt(4) == 0 ? random.nextInt(0x10000) : EXTREME_16[random.nextInt(EXTREME_16.length)];
    }

    public static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void png(byte[] out, Random random) {
        ByteBuffer b = ByteBuffer.wrap(out);
        if (out.length < 33) {
            return;
        }
        switch (random.nextInt(4)) {
            case 0 -> b.putInt(16 + 4 * random.nextInt(2), extreme32(random));
            case 1 -> out[24 + random.nextInt(5)] = (byte) (random.nextBoolean() ? random.nextInt(256)
                    : new int[] {1, 2, 4, 8, 16, 0, 2, 3, 4, 6}[random.nextInt(10)]);
            default -> {
                List<Integer> chunks = new ArrayList<>();
                for (long at = 8; at + 8 <= out.length; at += 12 + (b.getInt((int) at) & 0xffff_ffffL)) {
                    chunks.add((int) at);
                }
                b.putInt(chunks.get(random.nextInt(chunks.size())), extreme32(random));
            }
        }
        if (b.getInt(8) == 13) {
            CRC32 crc = new CRC32();
            crc.update(out, 12, 17);
            b.putInt(29, (int) crc.getValue());
        }
    }

    private static void gif(byte[] out, Random random) {
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        if (out.length < 13) {
            return;
        }
        int frame = 13 + ((out[10] & 0x80) != 0 ? 3 * (2 << (out[10] & 7)) : 0);
        while (frame < out.length && out[frame] != 0x2c) {
            frame++;
        }
        boolean hasFrame = frame + 10 < out.length;
        switch (random.nextInt(hasFrame ? 4 : 1)) {
            case 0 -> b.putShort(6 + 2 * random.nextInt(2), (short) extreme16(random));
            case 1 -> b.putShort(frame + 5 + 2 * random.nextInt(2), (short) extreme16(random));
            case 2 -> b.putShort(frame + 1 + 2 * random.nextInt(2), (short) extreme16(random));
            default -> {
                int codeSize = frame + 10 + ((out[frame + 9] & 0x80) != 0 ? 3 * (2 << (out[frame + 9] & 7)) : 0);
                if (codeSize < out.length) {
                    out[codeSize] = (byte) random.nextInt(256);
                }
            }
        }
    }

    private static void bmp(byte[] out, Random random) {
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        int[] fields32 = {2, 10, 14, 18, 22, 30, 34, 46};
        int[] fields16 = {26, 28};
        if (random.nextInt(4) == 0) {
            int at = fields16[random.nextInt(fields16.length)];
            if (at + 2 <= out.length) {
                b.putShort(at, (short) (random.nextBoolean() ? extreme16(random)
                        : new int[] {1, 4, 8, 16, 24, 32, 64}[random.nextInt(7)]));
            }
        } else {
            int at = fields32[random.nextInt(fields32.length)];
            if (at + 4 <= out.length) {
                b.putInt(at, at == 30 && random.nextBoolean() ? random.nextInt(7) : extreme32(random));
            }
        }
    }

    private static void jpeg(byte[] out, Random random) {
        ByteBuffer b = ByteBuffer.wrap(out);
        List<Integer> segments = new ArrayList<>();
        int frame = -1;
        for (int at = 2; at + 4 <= out.length && (out[at] & 0xff) == 0xff; ) {
            int marker = out[at + 1] & 0xff;
            if (marker == 0xda) {
                break; // entropy-coded data follows
            }
            segments.add(at);
            if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc) {
                frame = at;
            }
            at += 2 + (b.getShort(at + 2) & 0xffff);
        }
        if (frame >= 0 && frame + 10 <= out.length && random.nextInt(3) > 0) {
            if (random.nextInt(4) == 0) {
                out[frame + 9] = (byte) random.nextInt(256);
            } else {
                b.putShort(frame + 5 + 2 * random.nextInt(2), (short) extreme16(random));
            }
        } else if (!segments.isEmpty()) {
            b.putShort(segments.get(random.nextInt(segments.size())) + 2, (short) extreme16(random));
        }
    }

    private static byte[] splice(byte[] input, int at, int remove, byte[] insert) {
        byte[] out = new byte[input.length - remove + insert.length];
        System.arraycopy(input, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(input, at + remove, out, at + insert.length, input.length - at - remove);
        return out;
    }
}

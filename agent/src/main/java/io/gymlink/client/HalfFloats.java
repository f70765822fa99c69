package io.gymlink.client;

/** IEEE 754 half-precision conversions (Java 17 has no {@code Float.float16ToFloat}). */
final class HalfFloats {

  private HalfFloats() {}

  /** The float value of half-precision bits. */
  static float toFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /** The half-precision bits nearest to a float (round to nearest even; overflow to infinity). */
  static short fromFloat(float value) {
    int f = Float.floatToRawIntBits(value);
    int sign = (f >>> 16) & 0x8000;
    int exponent = (f >>> 23) & 0xff;
    int mantissa = f & 0x7fffff;
    if (exponent == 0xff) {
      return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
    }
    int e = exponent - 112;
    if (e >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign;
      }
      int m = mantissa | 0x800000;
      int shift = 14 - e;
      int half = m >>> shift;
      int rest = m & ((1 << shift) - 1);
      int halfway = 1 << (shift - 1);
      if (rest > halfway || (rest == halfway && (half & 1) == 1)) {
        half++;
      }
      return (short) (sign | half);
    }
    int half = (e << 10) | (mantissa >>> 13);
    int rest = mantissa & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
      half++;
    }
    return (short) (sign | half);
  }
}

package dev.chatops.http.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The little DER the older key forms need: reading a SEC1 {@code ECPrivateKey} far enough to find
 * its curve, and writing the PKCS#8 {@code PrivateKeyInfo} that wraps a PKCS#1 or SEC1 key, which
 * is the only form the JDK's {@code KeyFactory} reads.
 */
final class Der {

  static final int INTEGER = 0x02;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OID = 0x06;
  static final int SEQUENCE = 0x30;

  /** {@code rsaEncryption}. */
  private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";

  /** {@code id-ecPublicKey}. */
  private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";

  private Der() {}

  /** One element: its tag and where its contents lie in the buffer. */
  record Element(int tag, int start, int end) {}

  /** The element at {@code offset} of {@code der}, checked to lie within {@code limit}. */
  static Element read(byte[] der, int offset, int limit) {
    if (offset + 2 > limit) {
      throw new IllegalArgumentException("truncated DER");
    }
    int tag = der[offset] & 0xff;
    int length = der[offset + 1] & 0xff;
    int start = offset + 2;
    if (length > 0x7f) {
      int bytes = length & 0x7f;
      if (bytes < 1 || bytes > 3 || start + bytes > limit) {
        throw new IllegalArgumentException("bad DER length");
      }
      length = 0;
      for (int i = 0; i < bytes; i++) {
        length = (length << 8) | (der[start + i] & 0xff);
      }
      start += bytes;
    }
    if (start + length > limit) {
      throw new IllegalArgumentException("truncated DER");
    }
    return new Element(tag, start, start + length);
  }

  /** PKCS#8 around a PKCS#1 {@code RSAPrivateKey}. */
  static byte[] pkcs8FromPkcs1(byte[] rsaPrivateKey) {
    byte[] algorithm = tlv(SEQUENCE, concat(tlv(OID, oid(RSA_ENCRYPTION)), tlv(NULL, new byte[0])));
    return privateKeyInfo(algorithm, rsaPrivateKey);
  }

  /**
   * PKCS#8 around a SEC1 {@code ECPrivateKey}: {@code SEQUENCE { version 1, privateKey OCTET
   * STRING, [0] parameters (the named curve's OID), [1] publicKey }}; the curve moves into the
   * algorithm identifier, as RFC 5915 section 2 allows.
   */
  static byte[] pkcs8FromSec1(byte[] ecPrivateKey) {
    Element outer = read(ecPrivateKey, 0, ecPrivateKey.length);
    if (outer.tag() != SEQUENCE) {
      throw new IllegalArgumentException("not an EC private key");
    }
    int offset = outer.start();
    byte[] curve = null;
    while (offset < outer.end()) {
      Element element = read(ecPrivateKey, offset, outer.end());
      if (element.tag() == 0xa0) {
        Element oid = read(ecPrivateKey, element.start(), element.end());
        if (oid.tag() != OID) {
          throw new IllegalArgumentException("the EC key names no curve (explicit parameters)");
        }
        curve = Arrays.copyOfRange(ecPrivateKey, oid.start(), oid.end());
      }
      offset = element.end();
    }
    if (curve == null) {
      throw new IllegalArgumentException("the EC key names no curve");
    }
    byte[] algorithm = tlv(SEQUENCE, concat(tlv(OID, oid(EC_PUBLIC_KEY)), tlv(OID, curve)));
    return privateKeyInfo(algorithm, ecPrivateKey);
  }

  private static byte[] privateKeyInfo(byte[] algorithm, byte[] key) {
    byte[] version = tlv(INTEGER, new byte[] {0});
    return tlv(SEQUENCE, concat(version, algorithm, tlv(OCTET_STRING, key)));
  }

  /**
   * The contents of an OBJECT IDENTIFIER: 40 * first + second arc, then base 128, high bit = more.
   */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.", -1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(40 * Integer.parseInt(arcs[0]) + Integer.parseInt(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      long arc = Long.parseLong(arcs[i]);
      int groups = 1;
      while ((arc >> (7 * groups)) != 0) {
        groups++;
      }
      for (int g = groups - 1; g >= 0; g--) {
        int bits = (int) ((arc >> (7 * g)) & 0x7f);
        out.write(g == 0 ? bits : bits | 0x80);
      }
    }
    return out.toByteArray();
  }

  static byte[] tlv(int tag, byte[] contents) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(contents.length + 6);
    out.write(tag);
    int length = contents.length;
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length);
    } else {
      out.write(0x83);
      out.write(length >> 16);
      out.write(length >> 8);
      out.write(length);
    }
    out.writeBytes(contents);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}

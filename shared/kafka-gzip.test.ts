import { test } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { deflateSync, gunzipSync, gzipSync } from "node:zlib";
import { CompressionCodecs, CompressionTypes } from "kafkajs";
import { MAX_INFLATED_BYTES, outputChunkSize, sizedGzipCodec, useSizedGunzip } from "./kafka-gzip.ts";

/** Text that compresses like offers do (repeated keys, varying values). */
function offersLike(bytes: number): Buffer {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const part = `{"item_id":"MLB${5_000_000_000 + i * 7919}","title":"Oferta ${i} — ação ✓ 🚀","price":"${
      i % 997
    }.90"}`;
    parts.push(part);
    size += Buffer.byteLength(part);
  }
  return Buffer.from(parts.join("")).subarray(0, bytes);
}

test("kafka gzip: what it compresses, kafkajs's gunzip reads back, and it reads its own, at every size", async () => {
  for (const bytes of [0, 1, 100, 16_383, 16_384, 16_385, 300_000, 2_500_000]) {
    const raw = offersLike(bytes);
    const compressed = await sizedGzipCodec.compress({ buffer: raw });
    assert.ok(gunzipSync(compressed).equals(raw), `zlib reads ${bytes} bytes`);
    const back = await sizedGzipCodec.decompress(compressed);
    assert.ok(back.equals(raw), `${bytes} bytes come back`);
  }
});

test("kafka gzip: the output chunk follows the trailer's size, within bounds", () => {
  assert.equal(outputChunkSize(gzipSync(offersLike(700_000))), 700_001);
  assert.equal(outputChunkSize(gzipSync(offersLike(10))), 16 * 1024); // never under zlib's default
  assert.equal(outputChunkSize(gzipSync(offersLike(20_000_000))), 8 * 1024 * 1024); // a hint, bounded
  const lying = Buffer.from(gzipSync(offersLike(1000)));
  lying.writeUInt32LE(0xffffffff, lying.length - 4);
  assert.equal(outputChunkSize(lying), 8 * 1024 * 1024);
  assert.equal(outputChunkSize(deflateSync(offersLike(50_000))), 16 * 1024); // not gzip: no trailer to read
});

test("kafka gzip: a wrong hint never changes the bytes; a corrupt stream is refused as zlib refuses it", async () => {
  // two gzip members: the trailer names the last one's size only, so the hint is too small
  const first = offersLike(200_000);
  const second = offersLike(1_000);
  const twoMembers = Buffer.concat([gzipSync(first), gzipSync(second)]);
  assert.ok((await sizedGzipCodec.decompress(twoMembers)).equals(Buffer.concat([first, second])));
  // zlib's own format (kafkajs's unzip reads both)
  const raw = offersLike(80_000);
  assert.ok((await sizedGzipCodec.decompress(deflateSync(raw))).equals(raw));
  // a trailer that lies about the size fails zlib's own check, as it does in kafkajs's codec
  const lying = Buffer.from(gzipSync(raw));
  lying.writeUInt32LE(12, lying.length - 4);
  await assert.rejects(sizedGzipCodec.decompress(lying));
  await assert.rejects(sizedGzipCodec.decompress(Buffer.from("not gzip at all")));
});

test("kafka gzip: a batch that inflates past the bound (a gzip bomb) is refused with a clear error", async () => {
  const bomb = gzipSync(Buffer.alloc(MAX_INFLATED_BYTES + 1));
  assert.ok(bomb.length < 100_000, "small on the wire");
  await assert.rejects(sizedGzipCodec.decompress(bomb), /inflates past 67108864 bytes: refused/);
  const atTheBound = Buffer.alloc(MAX_INFLATED_BYTES, 7);
  assert.equal((await sizedGzipCodec.decompress(gzipSync(atTheBound))).length, MAX_INFLATED_BYTES);
});

test("kafka gzip: useSizedGunzip makes it kafkajs's gzip codec", () => {
  const original = CompressionCodecs[CompressionTypes.GZIP];
  try {
    useSizedGunzip();
    assert.equal(CompressionCodecs[CompressionTypes.GZIP](), sizedGzipCodec);
  } finally {
    CompressionCodecs[CompressionTypes.GZIP] = original;
  }
});

/**
 * The migration stream, version 1 (DESIGN §4): the header, the framed records a source sends and a
 * destination applies, and the small messages of the return path.
 *
 * <p>On the wire, big-endian throughout:
 * <pre>
 * header  = "XBZR" u16 version u32 pageSize u16 regionCount
 *           { u16 id, u8 nameLength, name (UTF-8), u64 pages } * regionCount
 *           u8 flags (bit 0: xbzrle) u8 codecLength codec (UTF-8) u32 CRC32C(header bytes before it)
 * frame   = u32 payloadLength, payload (records), u32 CRC32C(payload)
 * records = RAW(1) u16 region u64 index page[pageSize]
 *         | ZERO(2) u16 region u64 index
 *         | XBZRLE(3) u16 region u64 index u32 length delta[length]
 *         | ROUND_END(4) u64 round u64 pages u64 bytes
 *         | COMPLETE(5) u64 pageCount digest[32]
 *         | ABORT(6) u16 length reason (UTF-8, at most 1000 bytes)
 * </pre>
 * A frame's payload holds at most {@link io.xbzrle.migration.stream.StreamHeader#frameCapacity()}
 * bytes, and a record never spans two frames. {@link io.xbzrle.migration.stream.StreamWriter}
 * writes it, {@link io.xbzrle.migration.stream.StreamReader} reads it and checks every length and
 * index against the header before use, {@link io.xbzrle.migration.stream.ReturnMessages} carries
 * the destination's answers back over the same framing.
 */
package io.xbzrle.migration.stream;

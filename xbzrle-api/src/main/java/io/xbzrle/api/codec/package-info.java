/**
 * The page codec SPI: {@link io.xbzrle.api.codec.CodecProvider} creates a
 * {@link io.xbzrle.api.codec.PageCodec} for one page size.
 */
package io.xbzrle.api.codec;

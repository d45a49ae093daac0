/**
 * The transport SPI: a {@link io.xbzrle.api.transport.TransportProvider} answers a URI scheme and
 * opens {@link io.xbzrle.api.transport.Connection}s. Transports move bytes; framing, checksums and
 * records belong to the migration pipeline.
 */
package io.xbzrle.api.transport;

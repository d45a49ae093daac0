/**
 * The {@code tcp} transport's implementation: not exported. {@link
 * io.xbzrle.transport.tcp.internal.TcpTransportProvider} is the entry point ServiceLoader finds.
 */
package io.xbzrle.transport.tcp.internal;

/**
 * The {@code file} transport's implementation: not exported. {@link
 * io.xbzrle.transport.file.internal.FileTransportProvider} is the entry point ServiceLoader finds.
 */
package io.xbzrle.transport.file.internal;

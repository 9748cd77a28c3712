/**
 * The TCP request plane (the default): one connection per client-instance pair, many requests
 * multiplexed over it, each identified by a stream id the client picks.
 *
 * <h2>Frame layout</h2>
 * Every frame, in both directions, is:
 * <pre>
 * offset  size  field
 *      0     4  header length H, unsigned 32-bit big-endian, 2 ≤ H ≤ 65536
 *      4     4  body length B, unsigned 32-bit big-endian, 0 ≤ B ≤ 67108864 (64 MiB)
 *      8     4  CRC32C (Castagnoli) of the H header bytes followed by the B body bytes, big-endian
 *     12     H  header: a JSON object in UTF-8
 *   12+H     B  body: opaque bytes (the request, or one response item)
 * </pre>
 * The header's fields are {@code id} (the stream id, a non-negative integer), {@code type} and, by
 * type:
 * <ul>
 *   <li>{@code request} (client → server): {@code target}, the instance's subject
 *       {@code jyn.{ns}.{component}.{endpoint}.{instance_id_hex}}; the body is the request.</li>
 *   <li>{@code cancel} (client → server): stop this stream; the server still ends it.</li>
 *   <li>{@code data} (server → client): the body is one response item.</li>
 *   <li>{@code end} (server → client, terminal): the stream ended normally; no body.</li>
 *   <li>{@code error} (server → client, terminal): the stream failed; {@code category} (bad_request,
 *       not_found, unavailable, internal) and {@code message}; no body.</li>
 * </ul>
 * Unknown header fields are ignored; a frame of an unknown type is ignored. A frame with a wrong
 * checksum or an impossible length closes the connection. A connection lost with streams open ends
 * each of them with an {@code unavailable} failure on the client, and cancels each on the server.
 * Golden bytes: {@code TcpFrameGoldenTest}. A data frame of stream 7 with body {@code "hi"}:
 * <pre>
 * 00 00 00 16  00 00 00 02  eb 8e db df  {"id":7,"type":"data"}  68 69
 * </pre>
 * where {@code eb 8e db df} is the CRC32C of the 22 header bytes then the 2 body bytes.
 */
package io.jynamo.runtime.tcp;

/**
 * The S3 adapter of {@link dev.backstop.storage.ObjectStore}: {@link
 * dev.backstop.storage.s3.S3ObjectStore} on the AWS SDK v2's asynchronous client (Netty NIO),
 * configured by an {@link dev.backstop.storage.s3.S3Location} (where, and the account; checks
 * itself, never prints the secret) and {@link dev.backstop.storage.s3.S3Tuning} (connections,
 * parts, memory, attempts).
 *
 * <p>Targets: AWS S3, Ceph radosgw 16.2 and S3Proxy (signature v4, path style, {@code Content-MD5}
 * and no flexible checksums). Retries are the SDK's; puts buffer what they send so that every
 * request can be retried, and verify the ETag the server answers.
 */
package dev.backstop.storage.s3;

package dev.backstop.storage.s3;

import dev.backstop.testbed.CephObjectGateway;
import dev.backstop.testbed.S3Region;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 adapter against a real Ceph radosgw (Debian's Ceph 16.2: one monitor, one memstore OSD,
 * the gateway on a loopback port), the closest to a production S3 server that runs here.
 */
class S3ObjectStoreOnCephTest extends S3ServerContract {

  @TempDir static Path directory;
  private static CephObjectGateway ceph;

  @BeforeAll
  static void startCeph() {
    ceph = CephObjectGateway.start(directory);
  }

  @AfterAll
  static void stopCeph() {
    if (ceph != null) {
      ceph.close();
    }
  }

  @Override
  protected S3Region region() {
    return ceph.region();
  }
}

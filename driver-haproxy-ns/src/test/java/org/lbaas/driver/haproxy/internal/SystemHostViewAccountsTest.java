package org.lbaas.driver.haproxy.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemHostViewAccountsTest {

    @TempDir
    Path etc;

    @Test
    void accountsAreReadFromPasswdAndGroup() throws Exception {
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\nhaproxy:x:102:105::/var/lib/haproxy:/usr/sbin/nologin\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nnogroup:x:65534:\n");
        SystemHostView v = new SystemHostView(etc, etc, etc, etc);
        assertTrue(v.userExists("haproxy"));
        assertFalse(v.userExists("hapro"), "a prefix of a name is not the name");
        assertFalse(v.groupExists("haproxy"));
        assertTrue(v.groupExists("nogroup"));
        assertFalse(new SystemHostView(etc, etc, etc, etc.resolve("missing")).userExists("root"), "no database: no account");
    }
}

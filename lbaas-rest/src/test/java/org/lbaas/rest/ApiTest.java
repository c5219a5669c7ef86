package org.lbaas.rest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test of the REST API against a fresh server and service ({@link RestFixture}) per test
 * method, closed after it whatever the outcome. Subclasses' own {@code @BeforeEach} methods run
 * after the server is up.
 */
abstract class ApiTest {

    /** The server of the running test. */
    RestFixture api;

    @BeforeEach
    final void startApi() {
        api = new RestFixture();
    }

    @AfterEach
    final void stopApi() {
        if (api != null) {
            api.close();
        }
    }
}

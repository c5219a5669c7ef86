/**
 * Test support for lbaas users and driver vendors: jqwik arbitraries for valid and invalid load balancers, and a recording shell executor that answers scripted replies. The driver conformance kit is in module {@code conformance-kit} ({@code org.lbaas.conformance}).
 */
package org.lbaas.testkit;

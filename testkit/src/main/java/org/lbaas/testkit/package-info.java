/**
 * Test support for lbaas users and driver vendors: jqwik arbitraries for valid and invalid load balancers, a recording shell executor and a driver conformance kit.
 */
package org.lbaas.testkit;

/**
 * The driver conformance kit: what a driver vendor extends to learn every way a driver differs
 * from the lbaas driver contract.
 *
 * <ul>
 *   <li>{@link org.lbaas.conformance.DriverConformanceKit}: an abstract JUnit Jupiter class;
 *       implement one factory method and run it.</li>
 *   <li>{@link org.lbaas.conformance.DriverContract}: jqwik properties over generated load
 *       balancers, as an interface a separate test class implements (jqwik does not run Jupiter
 *       tests and Jupiter does not run properties).</li>
 *   <li>{@link org.lbaas.conformance.ConformanceEnvironment}: the seams both hand to the
 *       factory method: a recording shell executor, a temporary directory and a manual clock.</li>
 * </ul>
 */
package org.lbaas.conformance;

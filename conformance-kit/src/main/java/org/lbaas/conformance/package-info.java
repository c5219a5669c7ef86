/**
 * The driver conformance kit: what a driver vendor extends to learn every way a driver differs
 * from the lbaas driver contract.
 *
 * <ul>
 *   <li>{@link org.lbaas.conformance.DriverConformanceKit}: an abstract JUnit Jupiter class;
 *       implement one factory method and run it. Its groups are interfaces of default test
 *       methods ({@code RegistrationContract}, {@code CapabilitiesContract},
 *       {@code LifecycleContract}, {@code IdempotencyContract}, {@code OldAndNewContract},
 *       {@code StatusTransitionsContract}, {@code StatisticsContract}, {@code ReconcileContract},
 *       {@code ProbeAndRepairContract}, {@code ErrorsContract}) that the kit runs as one test factory per group in the vendor's class, each rule a dynamic
 *       test named by the rule; each rule receives a fresh
 *       {@link org.lbaas.conformance.ConformanceRun}.</li>
 *   <li>{@link org.lbaas.conformance.DriverContract}: jqwik properties over generated load
 *       balancers, as an interface a separate test class implements (jqwik does not run Jupiter
 *       tests and Jupiter does not run properties).</li>
 *   <li>{@link org.lbaas.conformance.ConformanceEnvironment}: the seams both hand to the
 *       factory method: a recording shell executor, a temporary directory and a manual clock.</li>
 * </ul>
 */
package org.lbaas.conformance;

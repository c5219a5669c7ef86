package org.lbaas.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a default method of a contract group as one rule of the kit; its {@code @DisplayName} is
 * the rule, as the vendor reads it. A method returning {@code Stream<DynamicTest>} is a rule with
 * cases (one per protocol, per fault, ...). {@link Rules} runs each with a fresh
 * {@link ConformanceRun}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Check {
}

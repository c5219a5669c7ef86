/** JMH benchmarks of lbaas; not a published artifact. */
package org.lbaas.benchmarks;

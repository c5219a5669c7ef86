/**
 * The seam through which drivers run external commands as argument vectors, so tests can record and script them instead of touching the system.
 */
package org.lbaas.driver.spi.shell;

/**
 * Many network nodes behind one desired state in Apache ZooKeeper, coordinated through Apache
 * Curator's recipes.
 */
package org.lbaas.cluster;

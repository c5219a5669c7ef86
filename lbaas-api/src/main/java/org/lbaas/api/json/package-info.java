/**
 * The OpenStack Neutron LBaaS v1 JSON wire format and the {@code lbaas} command's load balancer
 * document, mapped to and from the model and the service's request records by
 * {@link org.lbaas.api.json.NeutronJson}. Jackson is used through its tree model only: the model
 * knows nothing of JSON, and nothing is opened to reflection.
 */
package org.lbaas.api.json;

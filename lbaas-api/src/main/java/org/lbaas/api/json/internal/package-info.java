/**
 * The one mapping between the model and the Neutron v1 JSON trees, shared by the public codec
 * ({@link org.lbaas.api.json.NeutronJson}), the file store (which wraps these trees in a versioned
 * envelope) and lbaas-rest (which works on the trees, never on re-parsed text). Exported only to
 * {@code org.lbaas.rest}; not an API: it changes with them.
 */
package org.lbaas.api.json.internal;

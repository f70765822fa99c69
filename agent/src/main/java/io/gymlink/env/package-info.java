/**
 * The Gymnasium-shaped environment API: {@link io.gymlink.env.Env}, its results, its spec and the exception tree.
 *
 * <p>Everything an agent needs to know about an environment, whatever transport (gRPC, HTTP) reaches it. Spaces
 * and their values live in {@link io.gymlink.env.spaces}.
 */
package io.gymlink.env;

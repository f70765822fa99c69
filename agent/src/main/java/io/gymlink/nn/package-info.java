/**
 * The tensor boundary: fully connected networks ({@link io.gymlink.nn.Network}) whose parameters, gradients, Adam
 * moments ({@link io.gymlink.nn.Adam}) and activations are ND4J arrays, with the forward pass, the backward pass for
 * parameter gradients, the gradient with respect to the input, Polyak averaging into a target network, and a heap
 * snapshot for single-row inference on any thread ({@link io.gymlink.nn.NetworkSnapshot}).
 *
 * <p>This package owns every off-heap buffer of the learner; nothing outside it touches one. One flat buffer per
 * network holds its parameters with a view per layer, and its gradients, moments and target parameters in regions
 * of the same allocation ({@code OffHeapArena}), so every number has one copy. Matrix multiplies call OpenBLAS (the
 * library ND4J ships) directly on those buffers ({@code Blas}); element-wise work (activations and their
 * derivatives, Adam, Polyak) runs as vectorised Java loops on the same memory ({@code OffHeapKernels}). Why not
 * ND4J's own ops for those pieces, with the numbers: README, "Where ND4J is used".
 */
package io.gymlink.nn;

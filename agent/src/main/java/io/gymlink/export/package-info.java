/**
 * Export of a trained policy for use outside gymlink: {@link io.gymlink.export.OnnxPolicyExporter} writes the
 * deterministic actor, with observation normalisation and action rescaling, as an ONNX model
 * ({@code gymlink export --checkpoint DIR --onnx FILE}).
 */
package io.gymlink.export;

/// Numerics: column-major matrices over BLAS/LAPACK, regression with inference, distributions and
/// model metrics. This module imports nothing of the project but the CLAPACK system module.
public enum NumericsModule {}

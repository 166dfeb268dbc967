// CBLAS from OpenBLAS plus prototypes of the Fortran LAPACK routines the Statistics module calls.
// libopenblas.so.0 exports the full Fortran LAPACK (dgeqp3_, dpotrf_, ...) but no LAPACKE_*
// symbols, so the Fortran entry points are declared here directly (Fortran calling convention):
// every scalar by pointer, each char* followed by a hidden length argument at the end.
#ifndef AIL_CLAPACK_SHIM_H
#define AIL_CLAPACK_SHIM_H

#include <stddef.h>
#include <cblas.h>

typedef int lapack_int_t;

// QR with column pivoting.
void dgeqp3_(const lapack_int_t *m, const lapack_int_t *n, double *a, const lapack_int_t *lda,
             lapack_int_t *jpvt, double *tau, double *work, const lapack_int_t *lwork,
             lapack_int_t *info);
// Apply Q or Q^T from a QR factorization.
void dormqr_(const char *side, const char *trans, const lapack_int_t *m, const lapack_int_t *n,
             const lapack_int_t *k, const double *a, const lapack_int_t *lda, const double *tau,
             double *c, const lapack_int_t *ldc, double *work, const lapack_int_t *lwork,
             lapack_int_t *info, size_t side_len, size_t trans_len);
// Triangular solve and inverse.
void dtrtrs_(const char *uplo, const char *trans, const char *diag, const lapack_int_t *n,
             const lapack_int_t *nrhs, const double *a, const lapack_int_t *lda, double *b,
             const lapack_int_t *ldb, lapack_int_t *info, size_t uplo_len, size_t trans_len,
             size_t diag_len);
void dtrtri_(const char *uplo, const char *diag, const lapack_int_t *n, double *a,
             const lapack_int_t *lda, lapack_int_t *info, size_t uplo_len, size_t diag_len);
// Triangular condition number estimate.
void dtrcon_(const char *norm, const char *uplo, const char *diag, const lapack_int_t *n,
             const double *a, const lapack_int_t *lda, double *rcond, double *work,
             lapack_int_t *iwork, lapack_int_t *info, size_t norm_len, size_t uplo_len,
             size_t diag_len);
// Cholesky factor, solve, inverse, condition estimate.
void dpotrf_(const char *uplo, const lapack_int_t *n, double *a, const lapack_int_t *lda,
             lapack_int_t *info, size_t uplo_len);
void dpotrs_(const char *uplo, const lapack_int_t *n, const lapack_int_t *nrhs, const double *a,
             const lapack_int_t *lda, double *b, const lapack_int_t *ldb, lapack_int_t *info,
             size_t uplo_len);
void dpotri_(const char *uplo, const lapack_int_t *n, double *a, const lapack_int_t *lda,
             lapack_int_t *info, size_t uplo_len);
void dpocon_(const char *uplo, const lapack_int_t *n, const double *a, const lapack_int_t *lda,
             const double *anorm, double *rcond, double *work, lapack_int_t *iwork,
             lapack_int_t *info, size_t uplo_len);
double dlansy_(const char *norm, const char *uplo, const lapack_int_t *n, const double *a,
               const lapack_int_t *lda, double *work, size_t norm_len, size_t uplo_len);
// Singular values.
void dgesdd_(const char *jobz, const lapack_int_t *m, const lapack_int_t *n, double *a,
             const lapack_int_t *lda, double *s, double *u, const lapack_int_t *ldu, double *vt,
             const lapack_int_t *ldvt, double *work, const lapack_int_t *lwork,
             lapack_int_t *iwork, lapack_int_t *info, size_t jobz_len);

#endif

// @aigov/normalize's public surface: one normaliser per record shape (see README.md).
export {};

export * from './api-types';
export * from './categories';
export * from './errors';
export * from './privacy';
export * from './roles';
export * from './schemas/auth';

/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.css';

/** The API origin chosen at build time (see config/index.ts); empty means same origin. */
declare const API_BASE: string;

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV?: 'weapp' | 'h5' | 'swan' | 'alipay' | 'tt' | 'qq' | 'jd';
    TARO_APP_API_BASE?: string;
  }
}

/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.gif'
declare module '*.jpg'
declare module '*.jpeg'
declare module '*.svg'
declare module '*.css'

declare namespace NodeJS {
  interface ProcessEnv {
    /** Set by Taro at build time */
    NODE_ENV: 'development' | 'production'
    /** The platform being built; each build drops the other platform's branches */
    TARO_ENV: 'weapp' | 'h5'
    /** The mini-program AppID (see .env.example) */
    TARO_APP_ID?: string
    /** WeChat cloud environment id for Taro.cloud.init (see .env.example); empty means the default env */
    TARO_APP_CLOUD_ENV?: string
  }
}

import { Button, Input, View } from '@tarojs/components'
import { inputLabel, pressable } from '../../components/a11y'
import { useSmsOptIn } from './use-sms-optin'

const isWeapp = process.env.TARO_ENV === 'weapp'

/**
 * 短信通知: for people without e-mail, the invoice-issued notice and the reminders before the
 * request window closes by SMS. weapp takes the WeChat phone (getPhoneNumber); H5 verifies a
 * typed number with a 6-digit code. Hidden where SMS is not configured.
 */
export function SmsSection() {
  const sms = useSmsOptIn()
  const view = sms.view
  if (!view?.available) return null
  return (
    <>
      <View className='section-title'>短信通知</View>
      <View className='cells' id='sms-section'>
        {view.optIn ? (
          <View className='cell'>
            <View className='cell__body'>
              <View className='cell__title'>已开启</View>
              <View className='cell__desc' id='sms-phone'>
                发到 {view.phoneMasked}
              </View>
            </View>
            <Button className='btn btn--default btn--mini' id='sms-off' loading={sms.busy} onClick={() => void sms.optOut()} {...pressable('关闭短信通知')}>
              关闭
            </Button>
          </View>
        ) : isWeapp ? (
          <View className='cell'>
            <View className='cell__body'>
              <View className='cell__title'>用微信绑定的手机号接收</View>
            </View>
            <Button
              className='btn btn--primary btn--mini'
              id='sms-wechat-phone'
              openType='getPhoneNumber'
              loading={sms.busy}
              onGetPhoneNumber={(e) => void sms.bindWechat((e.detail as { code?: string }).code)}
            >
              开启
            </Button>
          </View>
        ) : (
          <>
            <View className='cell'>
              <Input
                id='sms-phone-input'
                className='cell__input'
                type='number'
                maxlength={11}
                placeholder='手机号码'
                value={sms.phone}
                onInput={(e) => sms.setPhone(e.detail.value)}
                {...inputLabel('手机号码')}
              />
              <Button
                className='btn btn--default btn--mini'
                id='sms-send-code'
                disabled={sms.wait > 0}
                loading={sms.busy && !sms.codeSentTo}
                onClick={() => void sms.sendCode()}
                {...pressable(sms.wait > 0 ? `${sms.wait} 秒后可重发验证码` : '获取验证码')}
              >
                {sms.wait > 0 ? `${sms.wait} 秒后重发` : '获取验证码'}
              </Button>
            </View>
            {sms.codeSentTo ? (
              <View className='cell'>
                <Input
                  id='sms-code-input'
                  className='cell__input'
                  type='number'
                  maxlength={6}
                  placeholder='6 位验证码'
                  value={sms.code}
                  onInput={(e) => sms.setCode(e.detail.value)}
                  {...inputLabel('短信验证码')}
                />
                <Button
                  className='btn btn--primary btn--mini'
                  id='sms-verify'
                  loading={sms.busy}
                  onClick={() => void sms.verify()}
                  {...pressable('验证并开启短信通知')}
                >
                  验证并开启
                </Button>
              </View>
            ) : null}
          </>
        )}
      </View>
      {sms.error ? (
        <View className='error-text' id='sms-error' role='alert'>
          {sms.error}
        </View>
      ) : null}
      <View className='hint' id='sms-hint'>
        {sms.codeSentTo
          ? `验证码已发到 ${sms.codeSentTo}，10 分钟内有效。`
          : '没有邮箱？开启后，发票开好和开票期限快到时会发短信提醒您。号码只用于发通知，可随时关闭。'}
      </View>
    </>
  )
}

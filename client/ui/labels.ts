/** Vietnamese UI text that is not already part of the shared contract. */
import type { BrokerRefusal, RejectReason } from '../../shared/mqtt';
import type { DependencyName } from '../../shared/health';

export const REJECT_REASON_LABELS: Record<RejectReason, string> = {
  badTopic: 'Sai chủ đề MQTT',
  oversize: 'Vượt kích thước 16 KiB',
  badJson: 'JSON không hợp lệ',
  schema: 'Sai cấu trúc dữ liệu',
  unknownDevice: 'Thiết bị chưa đăng ký',
  futureTimestamp: 'Thời gian ở tương lai',
  staleTimestamp: 'Thời gian quá cũ',
  duplicate: 'Tin trùng lặp',
};

/** Why the broker turned a device away (credentials, topics): before any message reached the ingest. */
export const BROKER_REFUSAL_LABELS: Record<BrokerRefusal, string> = {
  noCredentials: 'Kết nối không xác thực',
  badSecret: 'Sai khóa bí mật',
  unknownDevice: 'Thiết bị chưa cấp khóa',
  revoked: 'Khóa đã thu hồi',
  foreignTopic: 'Gửi vào chủ đề thiết bị khác',
  subscribeDenied: 'Đăng ký nhận tin bị chặn',
};

export const CENTER_TITLE = 'Trung tâm Giám sát, Điều hành Thông minh';

/** What the header says when one of the server's dependencies is down: what is wrong, and what it means. */
export const DEPENDENCY_DOWN_TEXT: Record<DependencyName, string> = {
  postgresql: 'Mất kết nối PostgreSQL — số liệu mới có thể chưa được lưu',
  redis: 'Mất kết nối Redis — dữ liệu từ máy chủ khác có thể chậm',
  mqtt: 'Mất kết nối MQTT — không nhận được số liệu mới từ thiết bị',
  store: 'Lỗi ghi cơ sở dữ liệu — số liệu mới có thể chưa được lưu',
};

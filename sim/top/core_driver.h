// The core unit's datapath side: feeds tiles from the on-chip buffers cycle by cycle and drains
// their output blocks into the out buffer (one driver per compute unit family).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "model/arch/hw_config.h"
#include "model/arch/tile_layout.h"
#include "sim/common/stats.h"

namespace lowbit {

/// A `blk` instruction: one output block of m rows x n columns over kt elements of K.
struct BlockOp {
  int m = 1;
  int n = 1;
  int kt = 1;
  uint32_t o = 0;       ///< out buffer offset of the M x n FP32 result (row stride n * 4)
  uint32_t ascale = 0;  ///< act buffer offset of the m FP32 row scales
  uint64_t signal = 0;  ///< semaphores given when the block is in the out buffer
  uint64_t address = 0;
  uint64_t begin = 0;  ///< cycle the block opened (set by begin_block), for the timeline
};

/// A tile op (lmma / mpe / mmac): one K chunk of the open block.
struct ChunkOp {
  int k = 1;
  uint32_t a = 0, w = 0, s = 0;
  uint64_t address = 0;
};

/// Byte views of the on-chip buffers the core reads and writes (functional contents).
struct CoreBuffers {
  const uint8_t* act = nullptr;
  const uint8_t* weight = nullptr;
  const uint8_t* scale = nullptr;
  uint8_t* out = nullptr;
  uint64_t act_bytes = 0, weight_bytes = 0, scale_bytes = 0, out_bytes = 0;
};

/// What it models: the core unit's tile sequencer. It owns the tiles (any ILutcoreTile / IPeArray
/// implementation), keeps their clock (`cycle()`), presents operands with valid/ready exactly as
/// the tile pins expect, and writes each finished output block into the out buffer at the cycle
/// its last row is handed over, reporting it through `on_block_done(signal, cycle)`.
class CoreDriver {
 public:
  using BlockDone = std::function<void(const BlockOp&, uint64_t cycle)>;
  virtual ~CoreDriver() = default;

  virtual void set_format(const OpFormat& f) = 0;
  /// Opens a block (reads its row scales now).
  virtual void begin_block(const BlockOp& b, const CoreBuffers& buf) = 0;
  /// Feeds one chunk of the open block; returns when its last beat has been accepted. At most one
  /// new beat per `beat_interval` cycles (weight-buffer port bandwidth); cycles lost to it are
  /// counted in `port_stall`.
  virtual void run_chunk(const ChunkOp& c, const CoreBuffers& buf, uint32_t beat_interval,
                         uint64_t& port_stall) = 0;
  /// One clock edge with no new input (the tiles drain).
  virtual void idle_cycle(const CoreBuffers& buf) = 0;
  /// An output block is still on its way out of the tiles.
  bool pending() const { return !m_open.empty(); }
  uint64_t cycle() const { return m_cycle; }
  /// Clocks idle edges until `cycle` (only when nothing is pending, so no output can appear).
  void advance_to(uint64_t cycle, const CoreBuffers& buf) {
    while (m_cycle < cycle) idle_cycle(buf);
  }

  BlockDone on_block_done;
  uint64_t useful_macs = 0;  ///< m x n x k summed over chunks (the workload's MACs)

 protected:
  std::deque<BlockOp> m_open;  // blocks whose output has not been handed over yet, in order
  uint64_t m_cycle = 0;
  OpFormat m_fmt;
  std::optional<TileLayout> m_layout;  ///< operand codec of the current format (set_format)
};

/// Little-endian operand access in the byte buffers (inline: the drivers' inner loops use them).
inline uint16_t load_u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
inline uint32_t load_u32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}
inline void store_u32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
/// Activation lane as the tile pins carry it: INT8 code in the low byte, or FP16 bits.
inline uint16_t act_lane(const uint8_t* p, bool fp16) { return fp16 ? load_u16(p) : p[0]; }
/// Throws the illegal-instruction error when [off, off + bytes) leaves a buffer of `capacity`.
void check_range(uint64_t off, uint64_t bytes, uint64_t capacity, const char* field,
                 const char* buffer, uint64_t address);
/// A blk's operands inside their buffers and its shape inside the core's rows x columns.
void check_block(const BlockOp& b, const CoreBuffers& buf, int rows, int cols);

}  // namespace lowbit
